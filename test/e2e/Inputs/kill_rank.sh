# kill_rank.sh RANK DIR CMD... - runs CMD as this MPI process; the process
# of rank RANK (OMPI_COMM_WORLD_RANK) kills itself with SIGKILL once DIR
# holds a checkpoint (mpi_faults.dl).
rank=$1 dir=$2
shift 2
if [ "${OMPI_COMM_WORLD_RANK:-0}" = "$rank" ]; then
  (until ls "$dir"/epoch-*.safetensors > /dev/null 2>&1; do sleep 0.01; done
   kill -9 $$) &
fi
exec "$@"
